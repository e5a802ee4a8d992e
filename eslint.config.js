// Import boundaries follow ../shared/STYLE.md: ui -> store -> workers -> core, and core imports
// nothing from the rest. d3 belongs to src/ui/viz only.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': ['error', {
        zones: [
          { target: './src/core', from: ['./src/workers', './src/store', './src/ui', './src/server', './src/cli'],
            message: 'core is pure: it imports nothing from workers, store, ui, server or cli.' },
          { target: './src/workers', from: ['./src/store', './src/ui', './src/server', './src/cli'],
            message: 'workers import only core.' },
          { target: './src/store', from: ['./src/ui', './src/server', './src/cli'],
            message: 'store sits below ui.' },
          { target: './src/server', from: ['./src/ui', './src/store', './src/workers'],
            message: 'the server serves the app; it does not import it.' },
        ],
      }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/viz/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['d3', 'd3-*'], message: 'd3 lives in src/ui/viz only.' }] }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/workers/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage'],
    },
  },
);
