import { describe, expect, it } from 'vitest';
import { durationWords, timeoutWords } from '../../src-main/engine/dns/create-resolver';

describe('timeout words', () => {
  it('say the deadline in seconds once it is one or more', () => {
    expect(durationWords(10_000)).toBe('10 s');
    expect(durationWords(2500)).toBe('2.5 s');
    expect(durationWords(300)).toBe('300 ms');
  });

  it('say the retry plainly: tried twice, and how long in all', () => {
    expect(timeoutWords(10_000, ['127.0.0.1:5300', '127.0.0.1:5300'])).toEqual({ error: 'no answer within 10 s (tried twice, 20 s in all)', server: '127.0.0.1:5300' });
    expect(timeoutWords(10_000, ['127.0.0.1:5300'])).toEqual({ error: 'no answer within 10 s', server: '127.0.0.1:5300' });
    expect(timeoutWords(5000, ['127.0.0.1:53', '[::1]:53'])).toEqual({ error: 'no answer within 5 s (tried 2 servers, 10 s in all)', server: '127.0.0.1:53, [::1]:53' });
  });
});
