import { Module } from '@nestjs/common';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PersonalDataHasher } from '../domain';
import { MemberEvents } from '../shared/member-events';
import { MemberSettings } from '../shared/member.settings';
import { MEMBER_CLOCK, MEMBER_SETTINGS } from '../shared/member.tokens';
import { MemberController } from './member.controller';
import { MemberService } from './member.service';

/** Member identities: registration, linked accounts, lookups and merges. */
@Module({
  controllers: [MemberController],
  providers: [
    {
      provide: MemberService,
      inject: [DataSource, PersonalDataHasher, MemberEvents, MEMBER_CLOCK, MEMBER_SETTINGS],
      useFactory: (ds: DataSource, hasher: PersonalDataHasher, events: MemberEvents, clock: Clock, settings: MemberSettings) => new MemberService(ds, hasher, events, clock, settings),
    },
  ],
  exports: [MemberService],
})
export class MembersModule {}
