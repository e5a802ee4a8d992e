import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app';
import { initTheme } from './ui/theme';
import './ui/styles.css';

// `?test` (set by the e2e harness) turns animations and transitions off.
if (new URLSearchParams(location.search).has('test')) document.documentElement.dataset.test = '';
initTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
