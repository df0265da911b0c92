// The exceptions aorm throws. Every message names the model, field, lookup or path involved.
#pragma once

#include <stdexcept>
#include <string>

namespace aorm {

// Base of every aorm error, so callers can catch the library's failures in one place.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// get()/latest()/earliest() found no row.
struct DoesNotExist : Error {
  using Error::Error;
};

// get() found more than one row.
struct MultipleObjectsReturned : Error {
  using Error::Error;
};

// Unknown field, unknown lookup, or a value of the wrong type for a field.
struct FieldError : Error {
  using Error::Error;
};

// The database could not be opened or reached, was closed, is missing, is busy past the timeout,
// lost its connection, cancelled a statement (statement_timeout), or rejected a statement.
struct DatabaseError : Error {
  using Error::Error;
};

// The database refused a write for a constraint: unique, not-null, foreign key, check.
struct IntegrityError : DatabaseError {
  using DatabaseError::DatabaseError;
};

// PostgreSQL aborted the transaction to keep it serializable (SQLSTATE 40001) or to break a
// deadlock (40P01): nothing of it was applied; run the whole transaction again.
struct SerializationError : DatabaseError {
  using DatabaseError::DatabaseError;
};

// delete() would remove rows that a PROTECT foreign key still references.
struct ProtectedError : IntegrityError {
  using IntegrityError::IntegrityError;
};

// delete() would remove rows that a RESTRICT foreign key references from rows not deleted too.
struct RestrictedError : IntegrityError {
  using IntegrityError::IntegrityError;
};

// A blocking ORM call ran on the event-loop thread while the loop was running.
struct SynchronousOnlyOperation : Error {
  using Error::Error;
};

} // namespace aorm
