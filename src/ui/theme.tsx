// Light, dark, or the system's choice; remembered in localStorage.
import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const KEY = 'strata.theme';

function apply(t: Theme): void {
  if (t === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
}

export function initTheme(): void {
  const t = localStorage.getItem(KEY);
  if (t === 'light' || t === 'dark') apply(t);
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem(KEY) as Theme | null) ?? 'system');
  useEffect(() => {
    apply(theme);
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  }, [theme]);
  const next: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
  const icon = theme === 'light' ? '☀' : theme === 'dark' ? '☾' : '◐';
  return (
    <button className="ghost icon" onClick={() => setTheme(next[theme])} title={`Theme: ${theme} (click for ${next[theme]})`}
      aria-label={`Theme: ${theme}`} data-testid="app.theme">{icon}</button>
  );
}
