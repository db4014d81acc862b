import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = import.meta.dirname;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The shell's frame as plain HTML in index.html (header, the session bar's fixed-height box, an empty
 * main, the footer), with the Dutch texts of client/src/i18n/nl.json: the browser paints it with the
 * stylesheet before any JavaScript has run, and React replaces it with the same boxes (App.tsx Shell),
 * so the first paint comes early and nothing moves (issue 18: first contentful paint on a phone).
 */
function staticShell(): Plugin {
  return {
    name: 'veilig-pad-static-shell',
    transformIndexHtml(html) {
      const nl = JSON.parse(readFileSync(path.join(here, 'client', 'src', 'i18n', 'nl.json'), 'utf8')) as {
        app: { name: string; tagline: string; skip: string; footer: string };
        lang: { switchPrefix: string; name: { en: string } };
      };
      const t = (s: string) => escapeHtml(s);
      const shell =
        `<a class="skip-link" href="#main">${t(nl.app.skip)}</a>` +
        `<header class="app-header"><div class="brand"><span class="brand-name">${t(nl.app.name)}</span>` +
        `<span class="brand-tagline">${t(nl.app.tagline)}</span></div><div class="header-tools">` +
        // The language switch as LanguageSwitch draws it (it works once the script runs).
        `<button type="button" class="language-switch"><span class="visually-hidden">${t(nl.lang.switchPrefix)} </span>` +
        `<span lang="en">${t(nl.lang.name.en)}</span></button></div></header>` +
        `<div class="session-bar"><div class="main-nav"></div><div class="user-box"></div></div>` +
        `<main id="main" tabindex="-1"></main>` +
        `<footer class="app-footer"><p>${t(nl.app.footer)}</p></footer>`;
      if (!html.includes('<div id="root"></div>')) throw new Error('index.html: <div id="root"></div> missing');
      return html.replace('<div id="root"></div>', `<div id="root">${shell}</div>`);
    },
  };
}

// The client lives in client/ and is served by the API server from dist/client in production;
// in development Vite proxies the API so the session cookie stays same-origin.
export default defineConfig({
  root: path.join(here, 'client'),
  plugins: [react(), staticShell()],
  build: {
    outDir: path.join(here, 'dist', 'client'),
    emptyOutDir: true,
    sourcemap: false,
    // One internal single-page app loaded once per working day: a single ~170 kB (gzip) bundle is fine.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
