import type { Type } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { BackOfficeModule } from './admin/back-office.module';
import { AuthModule } from './auth/auth.module';
import { MemberApiModule } from './members/member-api.module';
import { O2oAdminModule } from './o2o/o2o-admin.module';
import { PaymentsModule } from './payments/payments.module';
import { StoreModule } from './store/store.module';
import { StorefrontModule } from './storefront.module';

/** The modules whose routes make up the public API (and the OpenAPI document). */
export const GATEWAY_API_MODULES: Type<unknown>[] = [StorefrontModule, AdminModule, AuthModule, MemberApiModule, BackOfficeModule, StoreModule, PaymentsModule, O2oAdminModule];
