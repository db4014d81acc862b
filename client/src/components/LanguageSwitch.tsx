import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const other: Language = currentLanguage() === 'nl' ? 'en' : 'nl';
  return (
    <button
      type="button"
      className="language-switch"
      onClick={() => void setLanguage(other)}
      data-testid="language-switch"
    >
      <span className="visually-hidden">{t('lang.switchPrefix')} </span>
      <span lang={other}>{t(`lang.name.${other}`)}</span>
    </button>
  );
}
