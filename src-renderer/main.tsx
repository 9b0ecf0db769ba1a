/** Renderer entry: the React UI arrives with the desktop-app issue. */
export const APP_TITLE = 'Mailflow Doctor';
