# Sourced by the scripts that make Debian trees with debootstrap
# (debian13.sh, tests/package/install_test.sh).
#   debian_mirror          the first Debian archive URI of this machine's own
#                          apt sources (deb822 or one-line form): never a
#                          host name written here
#   debian_tree SUITE DIR [PACKAGES]
#                          a minbase tree of SUITE in DIR (with PACKAGES,
#                          comma-separated), made once: kept when DIR/.complete is there
debian_mirror() {
    local uri
    uri=$(grep -rhoE '^URIs:[[:space:]]*[^[:space:]]+' /etc/apt/sources.list.d/*.sources 2>/dev/null |
          awk '{print $2}' | grep -v -- '-security' | head -1 || true)
    if [[ -z $uri ]]; then
        uri=$(grep -rhoE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+' /etc/apt/sources.list \
              /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $NF}' | grep -v -- '-security' | head -1 || true)
    fi
    [[ -n $uri ]] || { echo "no Debian mirror in the apt sources" >&2; return 1; }
    echo "$uri"
}

debian_tree() {
    local suite=$1 dir=$2 packages=${3:-}
    [[ -e $dir/.complete ]] && return 0
    command -v debootstrap >/dev/null || apt-get install -y debootstrap
    rm -rf "$dir"
    mkdir -p "$dir"
    debootstrap --variant=minbase ${packages:+--include="$packages"} "$suite" "$dir" "$(debian_mirror)"
    touch "$dir/.complete"
}
