import { SetMetadata } from '@nestjs/common';

/** Metadata key set by {@link PublicRoute}. */
export const PUBLIC_ROUTE = 'omni:public-route';

/**
 * Marks a controller or a handler as open to callers without a service credential (health and
 * metrics). Every other route of an internal service requires one.
 */
export const PublicRoute = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE, true);
