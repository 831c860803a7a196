import { Global, Module } from '@nestjs/common';
import { Outbox } from '@omni/messaging';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock, SystemClock } from '@omni/tcc';
import { MemberEnv } from '../config/member.config';
import { PersonalDataHasher } from '../domain';
import { MemberEvents } from './member-events';
import { memberSettingsFrom } from './member.settings';
import { MEMBER_CLOCK, MEMBER_SETTINGS } from './member.tokens';

/** What every member feature shares: the clock, the settings, the keyed hasher of personal data and the event writer. */
@Global()
@Module({
  providers: [
    { provide: MEMBER_CLOCK, useValue: new SystemClock() },
    { provide: MEMBER_SETTINGS, inject: [SERVICE_CONFIG], useFactory: (env: MemberEnv) => memberSettingsFrom(env) },
    { provide: PersonalDataHasher, inject: [SERVICE_CONFIG], useFactory: (env: MemberEnv) => new PersonalDataHasher(env.MEMBER_PII_SECRET) },
    { provide: MemberEvents, inject: [Outbox, MEMBER_CLOCK], useFactory: (outbox: Outbox, clock: Clock) => new MemberEvents(outbox, clock) },
  ],
  exports: [MEMBER_CLOCK, MEMBER_SETTINGS, PersonalDataHasher, MemberEvents],
})
export class MemberSharedModule {}
