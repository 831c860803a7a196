import { ApiProperty, ApiPropertyOptional, type ApiResponseOptions } from '@nestjs/swagger';

/** One field-level problem in an error body. */
export class ErrorDetailView {
  @ApiProperty({ example: 'lines.0.quantity' }) field: string;
  @ApiProperty({ example: 'quantity must be a positive integer' }) reason: string;
}

/** The body of every error the gateway answers. */
export class ErrorBodyView {
  @ApiProperty({ description: 'Stable machine-readable code', example: 'VALIDATION_FAILED' }) code: string;
  @ApiProperty({ description: 'What went wrong, for people' }) message: string;
  @ApiPropertyOptional({ type: [ErrorDetailView] }) details?: ErrorDetailView[];
}

/** The Retry-After header of a 429 or 503 answer, as documented on each response that carries it. */
export const RETRY_AFTER_HEADER: NonNullable<ApiResponseOptions['headers']> = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};
