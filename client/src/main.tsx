import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { queryClient } from './queries.ts';
import { App } from './App.tsx';
import { i18nReady } from './i18n/index.ts';
import './nlds.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

void i18nReady.then(() => {
  createRoot(container).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
});
