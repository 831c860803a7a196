import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsChannelCode, IsId } from '@omni/contracts';
import { ACCOUNT_KINDS } from '../domain';

/** A phone as typed: digits with an optional '+', spaces, dashes, dots or parentheses. */
const PHONE_INPUT = /^\+?[0-9 ().-]{6,30}$/;
const PHONE_MESSAGE = '$property must be a phone number (6-20 digits, optional +)';

/** A channel account: its kind and the channel's id for the buyer. */
export class ChannelAccountDto {
  @IsIn(ACCOUNT_KINDS, { message: `$property must be one of ${ACCOUNT_KINDS.join(', ')}` })
  kind: (typeof ACCOUNT_KINDS)[number];

  @IsString({ message: '$property must be a string' })
  @MinLength(1, { message: '$property must be 1-128 characters' })
  @MaxLength(128, { message: '$property must be 1-128 characters' })
  accountId: string;
}

/** POST /internal/members: register a member with the account they signed up with. */
export class RegisterMemberDto {
  @IsChannelCode()
  channel: string;

  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ChannelAccountDto)
  account: ChannelAccountDto;

  @IsOptional()
  @Matches(PHONE_INPUT, { message: PHONE_MESSAGE })
  phone?: string;

  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MinLength(1, { message: '$property must be 1-100 characters' })
  @MaxLength(100, { message: '$property must be 1-100 characters' })
  name?: string;

  /** Personal data (kept in member only, for birthday coupons): a calendar date, YYYY-MM-DD. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be a date YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  birthDate?: string;
}

/** POST /internal/members/lookup: find a member by phone or by channel account (a body, so neither lands in an access log). */
export class LookupMemberDto {
  @IsOptional()
  @Matches(PHONE_INPUT, { message: PHONE_MESSAGE })
  phone?: string;

  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ChannelAccountDto)
  account?: ChannelAccountDto;
}

/** Route parameters naming a member. */
export class MemberParamsDto {
  @IsId()
  memberId: string;
}

/** POST /internal/members/:memberId/merge. */
export class MergeMembersDto {
  @IsId()
  otherMemberId: string;
}
