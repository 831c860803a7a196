import { createParamDecorator, Get, Headers, HttpCode, Param, Post, Put, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  getSchemaPath,
} from '@nestjs/swagger';
import { createValidationPipe, optionalIdempotencyKey, ValidationFailedError } from '@omni/platform';
import type { Request } from 'express';
import { StaffAuth } from '../auth/auth.decorators';
import type { StaffRole } from '../auth/principal';
import { ErrorBodyView } from '../docs/error-body.view';
import { segment, type UpstreamRequest } from '../upstream/upstream.client';
import { Upstreams } from '../upstream/upstreams';
import { DefinitionIdParamDto } from './definition-fields';
import { PriceDefinitionVersionView, PriceDefinitionView } from './definition-admin.views';

/** The body class of each `kind` of one definition store. */
export type DefinitionBodies = Readonly<Record<string, new () => object>>;

/** What a definition route reads from the request: the body and, on updates, the id in the path. */
interface DefinitionInput {
  body: unknown;
  pathId?: string;
}

const definitionInput = createParamDecorator((_data: unknown, ctx: ExecutionContext): DefinitionInput => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const id = (req.params as Record<string, unknown> | undefined)?.id;
  return { body: req.body, pathId: typeof id === 'string' ? id : undefined };
});

/**
 * Validates a definition body with the DTO class of its `kind`, through the platform's validation
 * pipe (whitelist, unknown fields refused, 400 naming each field). On an update the body's id must
 * be the id in the path, as pricing requires.
 */
export class DefinitionBodyPipe implements PipeTransform<DefinitionInput, Promise<object>> {
  private readonly validation = createValidationPipe();

  constructor(private readonly bodies: DefinitionBodies) {}

  /** The validated body as an instance of its kind's DTO class; 400 otherwise. */
  async transform({ body, pathId }: DefinitionInput): Promise<object> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationFailedError([{ field: '(body)', reason: 'the body must be a JSON object' }]);
    }
    const kind = (body as { kind?: unknown }).kind;
    if (typeof kind !== 'string' || !Object.hasOwn(this.bodies, kind)) {
      throw new ValidationFailedError([{ field: 'kind', reason: `kind must be one of ${Object.keys(this.bodies).join(', ')}` }]);
    }
    const value = (await this.validation.transform(body, { type: 'body', metatype: this.bodies[kind] })) as { id: string };
    if (pathId !== undefined && value.id !== pathId) {
      throw new ValidationFailedError([{ field: 'id', reason: `id must be "${pathId}", the id in the path` }]);
    }
    return value;
  }
}

/** How one of pricing's versioned definition stores is offered to staff. */
export interface DefinitionRoutesSpec {
  /** Singular and plural nouns for the document, e.g. 'price rule'. */
  noun: string;
  plural: string;
  /** Pricing's route of the store, e.g. 'internal/rules'. */
  upstreamPath: string;
  bodies: DefinitionBodies;
  /** Staff roles allowed (admin always is); declared here so every inherited route documents them. */
  roles: StaffRole[];
}

const IDEMPOTENCY_HEADER = ApiHeader({ name: 'idempotency-key', required: false, description: '8-128 characters; a retry with the same key returns the first result' });

/**
 * The staff routes of one pricing definition store (price rules, coupon templates): list, read,
 * versions, create, update, enable, disable, each relayed to pricing after validation. Pricing's
 * 4xx answers (400 with field details, 404, 409) reach the caller with their status and code.
 */
export function DefinitionAdminRoutes(spec: DefinitionRoutesSpec) {
  const models = Object.values(spec.bodies);
  const body = definitionInput(undefined, new DefinitionBodyPipe(spec.bodies));
  const bodySchema = ApiBody({
    description: `The ${spec.noun}; \`kind\` selects its shape`,
    schema: {
      oneOf: models.map((model) => ({ $ref: getSchemaPath(model) })),
      discriminator: { propertyName: 'kind', mapping: Object.fromEntries(Object.entries(spec.bodies).map(([kind, model]) => [kind, getSchemaPath(model)])) },
    },
  });
  const notFound = ApiNotFoundResponse({ description: `No such ${spec.noun}`, type: ErrorBodyView });

  @StaffAuth(...spec.roles)
  @ApiExtraModels(...models)
  abstract class DefinitionAdminRoutesBase {
    constructor(private readonly upstreams: Upstreams) {}

    /** Every definition, latest versions, by id. */
    @Get()
    @ApiOperation({ summary: `List ${spec.plural}` })
    @ApiOkResponse({ type: [PriceDefinitionView] })
    list(): Promise<unknown> {
      return this.relay({ method: 'GET', path: spec.upstreamPath });
    }

    /** The version in force. */
    @Get(':id')
    @ApiOperation({ summary: `Read a ${spec.noun}` })
    @ApiOkResponse({ type: PriceDefinitionView })
    @notFound
    get(@Param() params: DefinitionIdParamDto): Promise<unknown> {
      return this.relay({ method: 'GET', path: `${spec.upstreamPath}/${segment(params.id)}` });
    }

    /** Every stored version, newest first (audit). */
    @Get(':id/versions')
    @ApiOperation({ summary: `Versions of a ${spec.noun}` })
    @ApiOkResponse({ type: [PriceDefinitionVersionView] })
    @notFound
    versions(@Param() params: DefinitionIdParamDto): Promise<unknown> {
      return this.relay({ method: 'GET', path: `${spec.upstreamPath}/${segment(params.id)}/versions` });
    }

    /** Stores version 1, enabled. */
    @Post()
    @ApiOperation({ summary: `Create a ${spec.noun}` })
    @bodySchema
    @IDEMPOTENCY_HEADER
    @ApiCreatedResponse({ type: PriceDefinitionView })
    @ApiConflictResponse({ description: 'The id (or the coupon code) is taken', type: ErrorBodyView })
    create(@body definition: object, @Headers('idempotency-key') key?: string): Promise<unknown> {
      return this.relay({ method: 'POST', path: spec.upstreamPath, body: definition, headers: { 'idempotency-key': optionalIdempotencyKey(key) } });
    }

    /** Stores the body as a new version; it applies from now on (older versions stay for audit). */
    @Put(':id')
    @ApiOperation({ summary: `Change a ${spec.noun} (stores a new version)` })
    @bodySchema
    @IDEMPOTENCY_HEADER
    @ApiOkResponse({ type: PriceDefinitionView })
    @notFound
    update(@Param() params: DefinitionIdParamDto, @body definition: object, @Headers('idempotency-key') key?: string): Promise<unknown> {
      return this.relay({ method: 'PUT', path: `${spec.upstreamPath}/${segment(params.id)}`, body: definition, headers: { 'idempotency-key': optionalIdempotencyKey(key) } });
    }

    /** Turns it on: quotes and shelf prices use it again. */
    @Post(':id/enable')
    @HttpCode(200)
    @ApiOperation({ summary: `Enable a ${spec.noun}` })
    @ApiOkResponse({ type: PriceDefinitionView })
    @notFound
    enable(@Param() params: DefinitionIdParamDto): Promise<unknown> {
      return this.relay({ method: 'POST', path: `${spec.upstreamPath}/${segment(params.id)}/enable` });
    }

    /** Turns it off: quotes and shelf prices ignore it. */
    @Post(':id/disable')
    @HttpCode(200)
    @ApiOperation({ summary: `Disable a ${spec.noun}` })
    @ApiOkResponse({ type: PriceDefinitionView })
    @notFound
    disable(@Param() params: DefinitionIdParamDto): Promise<unknown> {
      return this.relay({ method: 'POST', path: `${spec.upstreamPath}/${segment(params.id)}/disable` });
    }

    private async relay(request: UpstreamRequest): Promise<unknown> {
      return (await this.upstreams.pricing.call(request)).body;
    }
  }
  return DefinitionAdminRoutesBase;
}
