import type { Resolvers } from './__generated__/types';
import { commonResolvers } from './common';
import { inventoryResolvers } from './inventory';
import { eventResolvers } from './events';
import { operationResolvers } from './operations';
import { orderResolvers } from './orders';

export const resolvers: Resolvers[] = [commonResolvers, inventoryResolvers, orderResolvers, eventResolvers, operationResolvers];
