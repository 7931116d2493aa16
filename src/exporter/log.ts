// Structured JSON logs. Secrets are never put in log objects; redaction is the second line.
import { pino, type Logger } from 'pino';

export const REDACT = ['*.api_key', '*.apiKey', '*.password', '*.token', '*.authorization', 'headers.authorization', '*.routing_key'];

export const createLogger = (level = process.env.MODELWATCH_LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger =>
  pino({ level, base: { service: 'modelwatch' }, redact: { paths: REDACT, censor: '<secret>' }, timestamp: pino.stdTimeFunctions.isoTime }, destination as never);
