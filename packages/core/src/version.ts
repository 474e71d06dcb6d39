// The version of this copy of @breakwater/core (checked against package.json by a test).

/** This copy's package version. */
export const CORE_VERSION = '0.1.0';
