import type { StackInfo } from '../../scripts/stack/index';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
    /** The workflow bundle built once per run. */
    bundlePath: string;
  }
}
