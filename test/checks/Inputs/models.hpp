// Models shared by the check tests: the runtime contract's Author and Post.
#pragma once
#include "../../support/blog_models.hpp"
