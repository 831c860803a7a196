import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { optionalIdempotencyKey } from '@omni/platform';
import { CreateQuoteDto, QuoteParamsDto, QuoteQueryDto } from './quote.dto';
import { QuoteService } from './quote.service';
import { QuoteView } from './quote.views';

/** Quotes: a priced cart with an id and an expiry, for one channel. */
@Controller('internal/quotes')
export class QuoteController {
  constructor(private readonly quotes: QuoteService) {}

  /** Prices and stores a cart. */
  @Post()
  create(@Body() body: CreateQuoteDto, @Headers('idempotency-key') key?: string): Promise<QuoteView> {
    return this.quotes.create(body, optionalIdempotencyKey(key));
  }

  /** A quote, for the channel it was made for. */
  @Get(':id')
  get(@Param() params: QuoteParamsDto, @Query() query: QuoteQueryDto): Promise<QuoteView> {
    return this.quotes.get(params.id, query.channel);
  }
}
