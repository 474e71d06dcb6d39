// The node:diagnostics_channel channels Breakwater publishes on, so APM tools can listen without app code.

import diagnosticsChannel from 'node:diagnostics_channel';
import type { BreakerEventMap } from './events.js';

/** Channel names, one per event type. */
export const DIAGNOSTICS_CHANNELS: { readonly [K in keyof BreakerEventMap]: string } =
  Object.freeze({
    stateChange: 'breakwater:state-change',
    reject: 'breakwater:reject',
    probe: 'breakwater:probe',
    call: 'breakwater:call',
    cache: 'breakwater:cache',
    admin: 'breakwater:admin',
  });

/** The channel objects, created once. */
export const diagnostics: { readonly [K in keyof BreakerEventMap]: diagnosticsChannel.Channel } = {
  stateChange: diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.stateChange),
  reject: diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.reject),
  probe: diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.probe),
  call: diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.call),
  cache: diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.cache),
  admin: diagnosticsChannel.channel(DIAGNOSTICS_CHANNELS.admin),
};
