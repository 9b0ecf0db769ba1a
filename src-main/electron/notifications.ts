import type { Notice } from '../contract/api';

/** The part of Electron's Notification the app uses (passed in, so it is tested without Electron). */
export interface NotificationApi {
  isSupported(): boolean;
  new (options: { readonly title: string; readonly body: string }): { show(): void };
}

/**
 * A warning or error for the user (a partner certificate about to expire, a
 * damaged settings file set aside) also becomes a system notification when no
 * app window has the focus: a re-check of the partner register can run while
 * the admin works elsewhere. Inside the app the notice shows anyway.
 */
export function showSystemNotice(notice: Notice, deps: { readonly Notification: NotificationApi; readonly appFocused: boolean }): boolean {
  if (notice.level === 'info' || deps.appFocused || !deps.Notification.isSupported()) return false;
  new deps.Notification({ title: 'Mailflow Doctor', body: notice.message.slice(0, 300) }).show();
  return true;
}
