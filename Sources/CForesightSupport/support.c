#include "foresight_support.h"
