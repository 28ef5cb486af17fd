# Sourced by the scripts that run a server from Maven Central jars (local-kafka.sh, local-flink.sh): the server's
# classpath, resolved once from the caller's throwaway pom and cached. The caller sets local_dir and classpath_file
# and defines write_pom, which writes $local_dir/resolve/pom.xml.

classpath_complete() {
    local jar
    [ -s "$classpath_file" ] || return 1
    while IFS= read -r jar; do
        [ -f "$jar" ] || return 1
    done < <(tr ':' '\n' <"$classpath_file")
}

# resolve_classpath WHAT: the cached classpath if every jar of it is still there, else resolved anew.
resolve_classpath() {
    classpath_complete && return 0
    command -v mvn >/dev/null 2>&1 || { echo "mvn not found: it resolves the $1 jars" >&2; return 1; }
    echo "resolving the $1 classpath with Maven (once)" >&2
    mkdir -p "$local_dir/resolve"
    write_pom
    if ! mvn -q -B -f "$local_dir/resolve/pom.xml" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
        -Dmdep.outputFile="$classpath_file.tmp" >"$local_dir/resolve/mvn.log" 2>&1; then
        echo "could not resolve the $1 jars; see $local_dir/resolve/mvn.log" >&2
        tail -20 "$local_dir/resolve/mvn.log" >&2 || true
        return 1
    fi
    mv "$classpath_file.tmp" "$classpath_file"
}
