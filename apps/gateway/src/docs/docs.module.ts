import { Module } from '@nestjs/common';
import { DocsController, OpenApiDocumentService } from './docs.controller';

/** Serves the OpenAPI document (/docs-json) and Swagger UI (/docs). */
@Module({
  controllers: [DocsController],
  providers: [OpenApiDocumentService],
})
export class DocsModule {}
