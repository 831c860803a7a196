import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffAuth } from '../auth/auth.decorators';
import type { StaffPrincipal } from '../auth/principal';
import { ErrorBodyView } from '../docs/error-body.view';
import { ApiKeyIdParamDto, ApiKeyView, CreateApiKeyDto, CreatedApiKeyView, ListApiKeysQueryDto } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

/** Staff administration of channel API keys. */
@ApiTags('admin: api keys')
@StaffAuth('admin')
@Controller('admin/api-keys')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  /** Creates a key bound to a channel (and optionally a store); the secret is in this answer only. */
  @Post()
  @ApiOperation({ summary: 'Create a channel API key' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.keys.create(body, staff.staffId);
  }

  /** Lists keys without their secrets. */
  @Get()
  @ApiOperation({ summary: 'List channel API keys' })
  @ApiOkResponse({ type: [ApiKeyView] })
  list(@Query() query: ListApiKeysQueryDto): Promise<ApiKeyView[]> {
    return this.keys.list(query.channel);
  }

  /** Revokes a key. */
  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a channel API key' })
  @ApiOkResponse({ type: ApiKeyView })
  @ApiNotFoundResponse({ type: ErrorBodyView })
  revoke(@Param() params: ApiKeyIdParamDto): Promise<ApiKeyView> {
    return this.keys.revoke(params.id);
  }
}
