// NL Design System (Utrecht): the design tokens and the CSS of the components the client uses. Only
// these components' CSS is loaded (the whole library's CSS is 400 KB); our own styles.css does layout.
import '@utrecht/design-tokens/dist/root.css';
import '@utrecht/button-css/dist/index.min.css';
import '@utrecht/button-link-css/dist/index.min.css';
import '@utrecht/form-field-css/dist/index.min.css';
import '@utrecht/form-label-css/dist/index.min.css';
import '@utrecht/form-field-description-css/dist/index.min.css';
import '@utrecht/form-field-error-message-css/dist/index.min.css';
import '@utrecht/form-fieldset-css/dist/index.min.css';
import '@utrecht/textbox-css/dist/index.min.css';
import '@utrecht/textarea-css/dist/index.min.css';
import '@utrecht/select-css/dist/index.min.css';
import '@utrecht/checkbox-css/dist/index.min.css';
import '@utrecht/radio-button-css/dist/index.min.css';
import '@utrecht/alert-css/dist/index.min.css';
