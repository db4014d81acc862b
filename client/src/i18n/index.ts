import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import nl from './nl.json';

export const languages = ['nl', 'en'] as const;
export type Language = (typeof languages)[number];

// Only the language choice is remembered in the browser; never any family data.
const STORAGE_KEY = 'veilig-pad.language';

function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'nl' ? v : 'nl';
  } catch {
    return 'nl';
  }
}

export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'en' ? 'en' : 'nl';
}

// Dutch, the default, is in the first bundle; English is its own chunk, fetched only when chosen
// (the first screen parses one language's 50 kB of text, not two). locales.test.ts keeps the two
// files' keys equal, so English needs no Dutch fallback.
async function englishTexts(): Promise<Record<string, unknown>> {
  return (await import('./en.json')).default;
}

async function ensureLoaded(lng: Language): Promise<void> {
  if (lng === 'nl' || i18n.hasResourceBundle(lng, 'translation')) return;
  i18n.addResourceBundle(lng, 'translation', await englishTexts());
}

export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Storage may be disabled; the switch still applies to this page.
  }
  await ensureLoaded(lng);
  await i18n.changeLanguage(lng);
}

// The document's lang follows the UI language, so screen readers pronounce it right (WCAG 3.1.1).
function setDocumentLang(lng: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lng === 'en' ? 'en' : 'nl';
}

i18n.on('languageChanged', setDocumentLang);

const initialLanguage = storedLanguage();

export const i18nReady = (async () => {
  const resources: Record<string, { translation: Record<string, unknown> }> = { nl: { translation: nl } };
  if (initialLanguage === 'en') resources.en = { translation: await englishTexts() };
  return i18n.use(initReactI18next).init({
    resources,
    lng: initialLanguage,
    fallbackLng: 'nl',
    supportedLngs: ['nl', 'en'],
    // React escapes all output already; escaping here would double-escape user strings.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
})();

setDocumentLang(initialLanguage);

export default i18n;
