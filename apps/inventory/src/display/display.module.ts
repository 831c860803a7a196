import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';

/** Availability and display hints per channel. */
@Module({
  controllers: [AvailabilityController],
  providers: [{ provide: AvailabilityService, inject: [DataSource], useFactory: (ds: DataSource) => new AvailabilityService(ds) }],
})
export class DisplayModule {}
