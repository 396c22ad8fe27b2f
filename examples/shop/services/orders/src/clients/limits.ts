import pLimit from 'p-limit';

// At most 16 calls to other services in flight per instance, so a burst of orders cannot swamp them.
export const downstreamLimit = pLimit(16);
