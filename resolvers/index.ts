import type { Resolvers } from './__generated__/types';
import { commonResolvers } from './common';
import { inventoryResolvers } from './inventory';

export const resolvers: Resolvers[] = [commonResolvers, inventoryResolvers];
