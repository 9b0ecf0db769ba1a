/**
 * SMTP peers for tests, on loopback: a real smtp-server with STARTTLS and
 * certificates made in the test, and raw-socket servers that misbehave in
 * the ways real broken or hostile servers do.
 */
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface SmtpFixtureOptions {
  /** PEM key and certificate chain (leaf first); none = no TLS possible. */
  readonly key?: string;
  readonly cert?: string;
  /** e.g. ['STARTTLS'] to really refuse it. */
  readonly disabledCommands?: readonly string[];
  /** Name in the greeting and EHLO reply. */
  readonly name?: string;
  /** Port 465 style: TLS from the first byte. */
  readonly secure?: boolean;
  /** Refuse MAIL FROM with 530 before STARTTLS. */
  readonly requireTls?: boolean;
  /** Recipients accepted; others get 550 5.4.1 ... Access denied. Undefined: accept all. */
  readonly acceptRecipients?: readonly string[];
  readonly listenHost?: string;
  /** Default 0 (any free port). */
  readonly listenPort?: number;
  readonly authMethods?: readonly string[];
  /** Let the server load weak keys / SHA-1 certificates and speak old TLS (OpenSSL security level 0). */
  readonly weakCrypto?: boolean;
  /** e.g. 'TLSv1' for a server stuck on TLS 1.0. */
  readonly maxTlsVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

export async function startSmtpFixture(options: SmtpFixtureOptions = {}): Promise<RunningServer> {
  const serverOptions: SMTPServerOptions = {
    secure: options.secure ?? false,
    name: options.name ?? 'mx.fixture.test',
    ...(options.key ? { key: options.key } : {}),
    ...(options.cert ? { cert: options.cert } : {}),
    disabledCommands: [...(options.disabledCommands ?? []), ...(options.authMethods ? [] : ['AUTH'])],
    ...(options.authMethods ? { authMethods: [...options.authMethods], allowInsecureAuth: false } : {}),
    authOptional: true,
    logger: false,
    // No reverse lookup of the client before the banner: tests stay on loopback and fast.
    disableReverseLookup: true,
    ...(options.weakCrypto || options.maxTlsVersion ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    ...(options.maxTlsVersion ? { maxVersion: options.maxTlsVersion } : {}),
    size: 10 * 1024 * 1024,
    onMailFrom(_address, session, callback) {
      if (options.requireTls && !session.secure) {
        const error = Object.assign(new Error('5.7.0 Must issue a STARTTLS command first'), { responseCode: 530 });
        callback(error);
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (options.acceptRecipients && !options.acceptRecipients.includes(address.address.toLowerCase())) {
        const error = Object.assign(new Error(`5.4.1 Recipient address rejected: Access denied. [${address.address}]`), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => undefined);
  const host = options.listenHost ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.listenPort ?? 0, host, () => resolve()));
  const address = server.server.address() as net.AddressInfo;
  return {
    host,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A raw TCP server whose every connection is handed to `behaviour`. Closing destroys open connections. */
export async function startRawServer(behaviour: (socket: net.Socket) => void, listenHost = '127.0.0.1', listenPort = 0): Promise<RunningServer & { readonly connections: number }> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    behaviour(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: listenHost,
    port,
    get connections() { return connections; },
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Reads commands line by line and answers via `reply(line)` (null: say nothing). */
export function scripted(greeting: string | null, reply: (command: string, socket: net.Socket) => string | null): (socket: net.Socket) => void {
  return (socket) => {
    if (greeting !== null) socket.write(greeting);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let index: number;
      while ((index = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, index).replace(/\r$/, '');
        buffer = buffer.slice(index + 1);
        const answer = reply(line, socket);
        if (answer !== null && !socket.destroyed) socket.write(answer);
      }
      if (buffer.length > 10_000) socket.destroy();
    });
  };
}

/** The hostile behaviours of issue 3, each a connection handler. */
export const hostile = {
  /** Accepts, never says anything. */
  silent: (): ((socket: net.Socket) => void) => () => undefined,
  /** A banner one byte per interval. */
  trickle: (intervalMs = 1000): ((socket: net.Socket) => void) => (socket) => {
    const text = Buffer.from('220 slow.example ESMTP\r\n');
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(timer);
      socket.write(text.subarray(i, i + 1));
      i++;
    }, intervalMs);
    socket.on('close', () => clearInterval(timer));
  },
  /** One line of `bytes` bytes without CRLF, written as fast as the peer reads. */
  hugeLine: (bytes = 5 * 1024 * 1024): ((socket: net.Socket) => void) => (socket) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    chunk.write('220 ');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(sent === chunk.length ? chunk : Buffer.alloc(64 * 1024, 0x61))) return void socket.once('drain', pump);
      }
    };
    pump();
  },
  /** `220-` continuation lines forever. */
  endlessContinuation: (): ((socket: net.Socket) => void) => (socket) => {
    const line = Buffer.from('220-still greeting you\r\n'.repeat(100));
    const pump = (): void => {
      while (!socket.destroyed) if (!socket.write(line)) return void socket.once('drain', pump);
    };
    pump();
  },
  /** Random bytes that are not SMTP. */
  garbage: (): ((socket: net.Socket) => void) => (socket) => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 197 + 13) % 256;
    bytes[0] = 0x16; // looks like a TLS record, as a TLS-only port would send
    socket.write(bytes);
  },
  /** Offers and accepts STARTTLS, then never answers the TLS ClientHello. */
  stalledStarttls: (): ((socket: net.Socket) => void) => scripted('220 stall.example ESMTP\r\n', (command, socket) => {
    const verb = command.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') return '250-stall.example\r\n250 STARTTLS\r\n';
    if (verb === 'STAR') {
      socket.removeAllListeners('data');
      return '220 2.0.0 go ahead\r\n';
    }
    return '250 ok\r\n';
  }),
  /** Resets (RST) the connection right after accepting it. */
  resetAfterAccept: (): ((socket: net.Socket) => void) => (socket) => {
    socket.resetAndDestroy();
  },
  /** Greets with 220, then answers EHLO with 421. */
  ehlo421: (): ((socket: net.Socket) => void) => scripted('220 busy.example ESMTP\r\n', (command, socket) => {
    if (/^(EHLO|HELO)/i.test(command)) {
      setImmediate(() => socket.end());
      return '421 4.3.2 Service shutting down, closing transmission channel\r\n';
    }
    return '250 ok\r\n';
  }),
};

/** A loopback port nobody listens on (bound then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether this machine can listen on ::1. */
export async function hasIpv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

/**
 * A minimal, immediate SMTP server with STARTTLS (no greeting delay, unlike
 * smtp-server's 100 ms early-talker pause), for the benchmark: every reply is
 * sent at once, so the time measured is the client's and the network's.
 */
export async function startMinimalSmtpServer(options: {
  readonly name: string;
  /** No key/cert: STARTTLS is not offered. */
  readonly key?: string;
  readonly cert?: string;
  readonly listenHost?: string;
  readonly listenPort?: number;
}): Promise<RunningServer & { readonly connections: number }> {
  const { default: tlsModule } = await import('node:tls');
  const secureContext = options.key && options.cert ? tlsModule.createSecureContext({ key: options.key, cert: options.cert }) : undefined;
  const serve = (socket: net.Socket, secure: boolean): void => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      let index: number;
      while ((index = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, index).replace(/\r$/, '');
        buffer = buffer.slice(index + 1);
        const verb = line.slice(0, 8).toUpperCase();
        if (verb.startsWith('EHLO')) socket.write(`250-${options.name}\r\n250-PIPELINING\r\n250-8BITMIME\r\n${secure || !secureContext ? '' : '250-STARTTLS\r\n'}250 SMTPUTF8\r\n`);
        else if (verb.startsWith('STARTTLS') && !secure && secureContext) {
          socket.off('data', onData);
          socket.write('220 2.0.0 Ready to start TLS\r\n');
          const upgraded = new tlsModule.TLSSocket(socket, { isServer: true, secureContext });
          upgraded.on('error', () => undefined);
          serve(upgraded, true);
          return;
        } else if (verb.startsWith('QUIT')) {
          socket.end('221 2.0.0 Bye\r\n');
          return;
        } else socket.write('250 2.0.0 OK\r\n');
      }
    };
    socket.on('data', onData);
  };
  return startRawServer((socket) => {
    socket.write(`220 ${options.name} ESMTP ready\r\n`);
    serve(socket, false);
  }, options.listenHost, options.listenPort);
}
