// The process's logger: pino writing JSON lines, with serializers that keep secrets out of the log.
// Every URL that reaches a line (the request line Fastify writes for each request, error messages
// that quote one) has its query string's values replaced, keeping the parameter names: a query can
// carry a token (`?access_token=`, refused by every route but still sent by old links), a search a
// person would not want kept, or a GraphQL document's variables. Headers are never logged.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export const REDACTED = '[redacted]';

/** `path?a=1&b=2` -> `path?a=[redacted]&b=[redacted]`; a URL without a query is returned as is. */
export function redactQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const names = url
    .slice(mark + 1)
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const name = part.split('=', 1)[0]!;
      // A name is shown only when it is a plain identifier: anything else could be a value sent bare.
      return /^[\w.[\]-]{1,64}$/.test(name) ? `${name}=${REDACTED}` : REDACTED;
    });
  return `${url.slice(0, mark)}?${names.join('&')}`;
}

/** Query strings inside free text (error messages): every `?...` up to a space or quote. */
function redactQueriesIn(text: string): string {
  return text.replace(/(\/[^\s"'?]*)\?[^\s"']*/g, (_whole, path: string) => `${path}?${REDACTED}`);
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

const serializers = {
  req(request: RequestLike) {
    return {
      method: request.method,
      url: request.url === undefined ? undefined : redactQuery(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    };
  },
  res(reply: { statusCode?: number }) {
    return { statusCode: reply.statusCode };
  },
  err(error: Error) {
    const serialized = pino.stdSerializers.err(error);
    return { ...serialized, message: redactQueriesIn(serialized.message ?? ''), stack: serialized.stack ? redactQueriesIn(serialized.stack) : serialized.stack };
  },
};

export function createLogger(options: Pick<LoggerOptions, 'level' | 'base'>, destination?: DestinationStream): Logger {
  const merged: LoggerOptions = { ...options, serializers };
  return destination ? pino(merged, destination) : pino(merged);
}

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogArguments = Parameters<Logger['info']>;

/**
 * A request's logger whose pino child (with the request id) is made only when a line is written.
 * Above `info` a request that goes well writes nothing, and a child per request was a measurable
 * share of a warm read's time.
 */
class LazyRequestLogger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
    private readonly options: Parameters<Logger['child']>[1],
  ) {}

  private real(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options) as unknown as Logger);
  }

  private write(level: LogLevel, args: LogArguments): void {
    if (this.parent.isLevelEnabled(level)) this.real()[level](...args);
  }

  get level(): string {
    return this.made?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: LogArguments): void {
    this.write('fatal', args);
  }
  error(...args: LogArguments): void {
    this.write('error', args);
  }
  warn(...args: LogArguments): void {
    this.write('warn', args);
  }
  info(...args: LogArguments): void {
    this.write('info', args);
  }
  debug(...args: LogArguments): void {
    this.write('debug', args);
  }
  trace(...args: LogArguments): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]): Logger {
    return this.real().child(bindings, options) as unknown as Logger;
  }
}

/**
 * Fastify's `childLoggerFactory`: the usual child at `info` and below (every request writes lines
 * then), a lazy one above.
 */
export function requestLoggerFactory<L extends Logger>(logger: L, bindings: Record<string, unknown>, options: Parameters<Logger['child']>[1]): L {
  if (logger.isLevelEnabled('info')) return logger.child(bindings, options) as unknown as L;
  return new LazyRequestLogger(logger, bindings, options) as unknown as L;
}
