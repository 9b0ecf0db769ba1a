import type net from 'node:net';
import { ReplyReader, type ReplyLimits, type ReaderErrorKind, type SmtpReply } from './reply-reader';
import type { Transcript } from './transcript';
import { classifySocketError, type NetworkFailure } from './socket-factory';

/**
 * One SMTP conversation over a socket that may change (plain, then TLS):
 * send a command, wait for the reply with a deadline. Every wait ends: with
 * a reply, a timeout, the peer closing, a network error, a reader limit or
 * cancellation. Bytes are parsed as they arrive; nothing unbounded is kept.
 */
export type ReadOutcome =
  | { readonly kind: 'reply'; readonly reply: SmtpReply }
  | { readonly kind: 'timeout'; readonly pendingBytes: number; readonly pending: Buffer; readonly partialLines: number }
  | { readonly kind: 'network'; readonly failure: NetworkFailure; readonly code: string; readonly message: string }
  | { readonly kind: 'reader'; readonly error: ReaderErrorKind; readonly detail: string }
  | { readonly kind: 'aborted' };

type Terminal = Exclude<ReadOutcome, { kind: 'reply' } | { kind: 'timeout' }>;

export class SmtpConnection {
  private reader: ReplyReader;
  private readonly replies: SmtpReply[] = [];
  private terminal: Terminal | null = null;
  private wake: (() => void) | null = null;
  private detach: (() => void) | null = null;
  socket: net.Socket;

  constructor(socket: net.Socket, private readonly transcript: Transcript, private readonly limits: ReplyLimits) {
    this.reader = new ReplyReader(limits);
    this.socket = socket;
    this.attach(socket);
  }

  /** Moves the conversation to a new socket (after STARTTLS). Replies buffered on the old one are dropped: RFC 3207 says nothing may follow the 220. */
  switchTo(socket: net.Socket): void {
    this.detach?.();
    this.replies.length = 0;
    this.reader = new ReplyReader(this.limits);
    this.terminal = null;
    this.socket = socket;
    this.attach(socket);
  }

  /** Stops listening without closing (before handing the socket to TLS). Returns how much unread data (bytes of a partial line plus whole replies) was already received. */
  release(): number {
    const unread = this.reader.pendingBytes + this.replies.length;
    this.detach?.();
    this.detach = null;
    return unread;
  }

  send(line: string): void {
    this.transcript.sent(line);
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(`${line}\r\n`);
  }

  readReply(deadline: number, signal?: AbortSignal): Promise<ReadOutcome> {
    const ready = this.take();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const finish = (outcome: ReadOutcome): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wake = null;
        resolve(outcome);
      };
      const onAbort = (): void => finish({ kind: 'aborted' });
      const timer = setTimeout(() => {
        finish({ kind: 'timeout', pendingBytes: this.reader.pendingBytes, pending: this.reader.pendingText, partialLines: this.reader.linesInProgress });
      }, Math.max(0, deadline - performance.now()));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = () => {
        const outcome = this.take();
        if (outcome) finish(outcome);
      };
    });
  }

  /** Closes politely without waiting (QUIT is sent by the caller), and for sure shortly after. */
  close(graceMs = 200): void {
    const socket = this.socket;
    this.detach?.();
    socket.on('error', () => undefined);
    if (!socket.destroyed) socket.end();
    setTimeout(() => socket.destroy(), graceMs).unref();
  }

  destroy(): void {
    this.detach?.();
    this.socket.on('error', () => undefined);
    this.socket.destroy();
  }

  private take(): ReadOutcome | null {
    const reply = this.replies.shift();
    if (reply) return { kind: 'reply', reply };
    return this.terminal;
  }

  private attach(socket: net.Socket): void {
    const onData = (chunk: Buffer): void => {
      for (const event of this.reader.feed(chunk)) {
        if (event.kind === 'line') this.transcript.received(event.raw);
        else if (event.kind === 'reply') this.replies.push(event.reply);
        else {
          this.transcript.event(`stopped reading: ${event.detail}`);
          this.setTerminal({ kind: 'reader', error: event.error, detail: event.detail });
          socket.destroy();
        }
      }
      this.wake?.();
    };
    const onError = (error: unknown): void => {
      const failure = classifySocketError(error);
      this.transcript.event(`network error: ${failure.code}`);
      this.setTerminal({ kind: 'network', ...failure });
      this.wake?.();
    };
    const onClose = (): void => {
      this.setTerminal({ kind: 'network', failure: 'closed', code: 'CLOSED', message: 'the server closed the connection' });
      this.wake?.();
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('end', onClose);
    this.detach = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('end', onClose);
    };
  }

  private setTerminal(outcome: Terminal): void {
    if (this.terminal === null) {
      if (outcome.kind === 'network' && outcome.failure === 'closed') this.transcript.event('connection closed by the server');
      this.terminal = outcome;
    }
  }
}
