import pkg from '../package.json';

/** This package's version, recorded in offline bundles and the User-Agent. */
export const VERSION: string = pkg.version;
