import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logger. Known personal fields are redacted wholesale; callers log user ids
 * through `maskId` and free text through `maskText` (see ./mask.ts).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sapa-gajahmungkur' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['phone', '*.phone', 'nik', '*.nik', 'text', '*.text', 'token', '*.token', 'headers.authorization'],
        censor: '[masked]',
      },
    },
    destination,
  );
}
