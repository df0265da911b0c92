// The umbrella header: the async core (with aatomic), models, QuerySets, managers and the database.
#pragma once

#include "aorm/aatomic.hpp"
#include "aorm/async.hpp"
#include "aorm/db.hpp"
#include "aorm/errors.hpp"
#include "aorm/guard.hpp"
#include "aorm/intent.hpp"
#include "aorm/loop.hpp"
#include "aorm/manager.hpp"
#include "aorm/model.hpp"
#include "aorm/query.hpp"
#include "aorm/queryset.hpp"
#include "aorm/related.hpp"
#include "aorm/task.hpp"
#include "aorm/value.hpp"
