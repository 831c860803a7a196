import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PersonalDataHasher } from '../domain';
import { MemberEvents } from '../shared/member-events';
import { GiftCardController } from './gift-card.controller';
import { GiftCardService } from './gift-card.service';

/** Gift cards. */
@Module({
  controllers: [GiftCardController],
  providers: [
    {
      provide: GiftCardService,
      inject: [DataSource, PersonalDataHasher, MemberEvents],
      useFactory: (ds: DataSource, hasher: PersonalDataHasher, events: MemberEvents) => new GiftCardService(ds, hasher, events),
    },
  ],
  exports: [GiftCardService],
})
export class GiftCardsModule {}
