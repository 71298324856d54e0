/**
 * Accounts: the cached service in front of the database, the after-commit cache evictions and the
 * REST API.
 */
@NullMarked
package io.github.resilientcache.sample.account;

import org.jspecify.annotations.NullMarked;
