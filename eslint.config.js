// Import boundaries follow ../shared/STYLE.md: ui -> store -> workers -> core, and core imports
// nothing from the rest. d3 belongs to src/ui/viz only. React's hooks rules (as speedscope runs
// them): hooks called unconditionally, effects list what they read.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**', 'public/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    // The zones below only see imports the resolver can follow: without .ts/.tsx here every
    // relative import of a TypeScript file went unresolved and no zone ever fired.
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
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
          { target: './src/cli', from: ['./src/ui', './src/store', './src/workers'],
            message: 'the CLI runs the core; it imports neither the page nor its workers.' },
          { target: './src/ui', from: ['./src/server', './src/cli'],
            message: 'the page does not import the server or the CLI.' },
        ],
      }],
    },
  },
  {
    // The page talks to the engine through the store (store/engine.ts); from workers it may take
    // the protocol's types only, never code: a worker module imported here would run on the page.
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['**/workers/*', '**/workers'], allowTypeImports: true, message: 'src/ui imports only types from src/workers; code goes through src/store.' },
        { group: ['d3', 'd3-*'], message: 'd3 lives in src/ui/viz only.' },
      ] }],
    },
  },
  {
    files: ['src/ui/viz/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['**/workers/*', '**/workers'], allowTypeImports: true, message: 'src/ui imports only types from src/workers; code goes through src/store.' },
      ] }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['d3', 'd3-*'], message: 'd3 lives in src/ui/viz only.' }] }],
    },
  },
  {
    // Names, paths, tags and commands come from archives: the page renders them as text only.
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'render archive data as text, never as HTML' },
        { selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]', message: 'render archive data as text, never as HTML' },
        { selector: 'CallExpression[callee.property.name=/^(html|insertAdjacentHTML)$/]', message: 'use .text(), never .html(): labels come from the archive' },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/workers/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage'],
    },
  },
);
