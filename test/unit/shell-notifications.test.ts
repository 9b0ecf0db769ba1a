import { describe, expect, it } from 'vitest';
import { showSystemNotice, type NotificationApi } from '../../src-main/electron/notifications';

function fakeNotifications(supported = true): { readonly api: NotificationApi; readonly shown: { title: string; body: string }[] } {
  const shown: { title: string; body: string }[] = [];
  class FakeNotification {
    static isSupported(): boolean {
      return supported;
    }
    constructor(private readonly options: { title: string; body: string }) {}
    show(): void {
      shown.push(this.options);
    }
  }
  return { api: FakeNotification, shown };
}

describe('system notifications for notices (desktop app)', () => {
  const expiring = { level: 'warn' as const, message: 'Partner certificates expiring within 30 days: bank.example.' };

  it('shows a warning as a system notification while no app window has the focus', () => {
    const { api, shown } = fakeNotifications();
    expect(showSystemNotice(expiring, { Notification: api, appFocused: false })).toBe(true);
    expect(shown).toEqual([{ title: 'Mailflow Doctor', body: expiring.message }]);
  });

  it('stays quiet when the app has the focus (the notice shows inside), for information, and where notifications are not supported', () => {
    const focused = fakeNotifications();
    expect(showSystemNotice(expiring, { Notification: focused.api, appFocused: true })).toBe(false);
    expect(showSystemNotice({ level: 'info', message: 'Saved.' }, { Notification: focused.api, appFocused: false })).toBe(false);
    const unsupported = fakeNotifications(false);
    expect(showSystemNotice(expiring, { Notification: unsupported.api, appFocused: false })).toBe(false);
    expect([...focused.shown, ...unsupported.shown]).toEqual([]);
  });
});
