#!/bin/sh
# As in the official debian images: package installs inside containers start no services.
exit 101
