import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError, type ErrorDetail } from './domain-error';

/** Flattens nested class-validator errors into `{ field: 'lines.0.sku', reason }` entries. */
export function validationDetails(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...validationDetails(error.children ?? [], field)];
  });
}

/** The global pipe: whitelist, reject unknown fields, transform to DTO instances, 400 with field details. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(validationDetails(errors)),
  });
}
