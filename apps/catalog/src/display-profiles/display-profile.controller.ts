import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ChannelDisplay } from '@omni/contracts';
import { DisplayProfileView, ProfileCodeParamDto } from './display-profile.dto';
import { DisplayProfileService } from './display-profile.service';

/** Internal HTTP API of display profiles (stock hint rule and badges a channel listing renders with). */
@Controller('internal/display-profiles')
export class DisplayProfileController {
  constructor(private readonly profiles: DisplayProfileService) {}

  /** Creates or replaces a profile. */
  @Put(':code')
  put(@Param() params: ProfileCodeParamDto, @Body() body: ChannelDisplay): Promise<DisplayProfileView> {
    return this.profiles.put(params.code, body);
  }

  /** Every profile. */
  @Get()
  list(): Promise<DisplayProfileView[]> {
    return this.profiles.list();
  }

  /** One profile. */
  @Get(':code')
  get(@Param() params: ProfileCodeParamDto): Promise<DisplayProfileView> {
    return this.profiles.get(params.code);
  }
}
