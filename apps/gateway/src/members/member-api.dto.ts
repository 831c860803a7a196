import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsId } from '@omni/contracts';
import { QueryInt } from '@omni/platform';

const PHONE_INPUT = /^\+?[0-9 ().-]{6,30}$/;
const PHONE_MESSAGE = '$property must be a phone number (6-20 digits, optional +)';
const LIMIT = '$property must be an integer between 1 and 100';

/** Body of POST /auth/otp: the phone to send a sign-in code to. */
export class RequestOtpDto {
  @ApiProperty({ example: '+86 138 0013 8000', pattern: PHONE_INPUT.source })
  @Matches(PHONE_INPUT, { message: PHONE_MESSAGE })
  phone: string;
}

/** Body of POST /auth/otp/verify: the phone and the code it received. */
export class VerifyOtpDto {
  @ApiProperty({ example: '+86 138 0013 8000', pattern: PHONE_INPUT.source })
  @Matches(PHONE_INPUT, { message: PHONE_MESSAGE })
  phone: string;

  @ApiProperty({ example: '042917', pattern: '^[0-9]{6}$' })
  @Matches(/^[0-9]{6}$/, { message: '$property must be the 6-digit code' })
  code: string;
}

/** Body of POST /auth/refresh and /auth/logout. */
export class RefreshDto {
  @ApiProperty({ description: 'The refresh token of the last sign-in or refresh (spent on use)', pattern: '^mrt_[A-Za-z0-9_-]{43}$' })
  @Matches(/^mrt_[A-Za-z0-9_-]{43}$/, { message: '$property must be a refresh token (mrt_ and 43 characters)' })
  refreshToken: string;
}

/** Paging of a list, newest first. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: LIMIT })
  @Min(1, { message: LIMIT })
  @Max(100, { message: LIMIT })
  limit?: number;
}

/** Paging of the points history: a keyset cursor (the `nextBefore` of the previous page). */
export class PointsPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The nextBefore of the previous page' })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: '$property must be a positive integer (the nextBefore of the previous page)' })
  @Min(1, { message: '$property must be a positive integer (the nextBefore of the previous page)' })
  before?: number;
}

/** Paging of orders: a keyset cursor (the `nextBefore` of the previous page, an order id). */
export class OrdersPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The nextBefore of the previous page' })
  @IsOptional()
  @IsId()
  before?: string;
}

/** Route params naming a member (staff routes). */
export class MemberIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  id: string;
}

/** Body of POST /store/member-login: the code the member's app shows. */
export class StoreMemberLoginDto {
  @ApiProperty({ description: "The code of the member's app (POST /me/store-login-code), as its QR code carries it", maxLength: 2048 })
  @Matches(/^[A-Za-z0-9_-]{1,1024}\.[A-Za-z0-9_-]{1,1024}\.[A-Za-z0-9_-]{1,512}$/, { message: '$property must be a login code as the app shows it' })
  code: string;
}
