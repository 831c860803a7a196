import { ApiProperty } from '@nestjs/swagger';

/** A price rule or coupon template as pricing answers it: the head and the version in force. */
export class PriceDefinitionView {
  @ApiProperty() id: string;
  @ApiProperty() kind: string;
  @ApiProperty({ description: 'The version in force (the latest)' }) version: number;
  @ApiProperty({ description: 'Off: quotes and shelf prices ignore it' }) enabled: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The latest definition, with its id and version' }) definition: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** One stored version of a price rule or coupon template. */
export class PriceDefinitionVersionView {
  @ApiProperty() version: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) definition: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
