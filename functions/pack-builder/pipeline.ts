import { type BuildPackFiles, PackBuildRefusedError } from '../packs/lifecycle';

/**
 * The production pipeline: composition (evidence → tables), disclosure control with its attacker's
 * audit, and the four renderers. Until those modules are wired in here, every build fails with
 * this reason rather than publishing anything unchecked.
 */
export const buildPackFiles: BuildPackFiles = () =>
  Promise.reject(
    new PackBuildRefusedError(
      'Pack composition, disclosure control and rendering are not wired into the builder yet.',
    ),
  );
