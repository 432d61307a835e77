/* The one place the version is defined: --version, the PDF's /Creator. */
#ifndef POLICYGEN_VERSION_H
#define POLICYGEN_VERSION_H

#define POLICYGEN_VERSION "0.1.0"

#endif
