import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
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

export async function setLanguage(lng: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Storage may be disabled; the switch still applies to this page.
  }
  await i18n.changeLanguage(lng);
}

// The document's lang follows the UI language, so screen readers pronounce it right (WCAG 3.1.1).
function setDocumentLang(lng: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lng === 'en' ? 'en' : 'nl';
}

i18n.on('languageChanged', setDocumentLang);

export const i18nReady = i18n.use(initReactI18next).init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'nl',
  supportedLngs: ['nl', 'en'],
  // React escapes all output already; escaping here would double-escape user strings.
  interpolation: { escapeValue: false },
  returnNull: false,
});

setDocumentLang(storedLanguage());

export default i18n;
