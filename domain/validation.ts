import { InvalidInputError } from './errors';

export function requireText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new InvalidInputError(`${field} must not be blank`, field);
  if (trimmed.length > maxLength) throw new InvalidInputError(`${field} must be at most ${maxLength} characters`, field);
  return trimmed;
}

export function requirePositiveCount(value: number, field: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InvalidInputError(`${field} must be a whole number from 1 to ${max}`, field);
  }
  return value;
}

export function requireAmountInCents(value: number, field: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new InvalidInputError(`${field} must be a whole number of cents from 0 to ${max}`, field);
  }
  return value;
}
