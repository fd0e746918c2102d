// Pins FerretDB for the local MongoDB-wire server. The launcher vendors this module and builds
// it (infra/src/servers/mongo.ts): the proxy refuses the version list `go install pkg@version` needs.
//go:build tools

package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
