// First: zod must be jitless before any schema is built (see zodJitless.ts).
import './zodJitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { i18nReady } from './i18n/index.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

void i18nReady.then(() => {
  createRoot(container).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  );
});
