import { z } from 'zod';
import type { ApiResult, ErrorValue } from '../contract/api';
import { InputError } from '../contract/errors';

/** Turns whatever a handler threw into an error value the UI can show (never a stack trace). */
export function toErrorValue(error: unknown, signal?: AbortSignal): ErrorValue {
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return { code: 'CANCELLED', message: 'Cancelled.' };
  if (error instanceof z.ZodError) return fromZodError(error);
  if (error instanceof InputError) return error.where ? { code: 'INPUT', message: error.message, where: error.where } : { code: 'INPUT', message: error.message };
  if (error instanceof HandlerError) return error.value;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Something went wrong inside the app: ${message.split('\n')[0]?.slice(0, 300) ?? ''}` };
}

export function fromZodError(error: z.ZodError): ErrorValue {
  const issue = error.issues[0];
  if (!issue) return { code: 'INPUT', message: 'The request was not understood.' };
  const where = issue.path.map(String).join('.');
  const message = where ? `${where}: ${issue.message}` : issue.message;
  return where ? { code: 'INPUT', message, where } : { code: 'INPUT', message };
}

/** An error that already knows its code (NOT_FOUND, BUSY ...). */
export class HandlerError extends Error {
  constructor(readonly value: ErrorValue) {
    super(value.message);
  }
}

export const fail = <T>(value: ErrorValue): ApiResult<T> => ({ ok: false, error: value });
