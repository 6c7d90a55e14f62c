// The map of the structures listed on the page (directory/_map.html, docs/map.md).
// Progressive enhancement: the list above is the content; this only adds a map of the same places. It reads two
// JSON data islands (no inline script, the CSP forbids them), reveals the hidden block and draws:
// - an offline basemap (approximate départements and towns, from the shipped geography) when no tile source is
//   configured, so that no request leaves the site; or the configured tiles (SPRO_MAP_TILES_URL, e.g. IGN's Plan IGN);
// - one keyboard-focusable marker per structure (Tab, Enter opens its bubble, Escape closes it).
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  // Zoom from which each rank of the basemap's places is drawn (1: préfectures de région, 2: de département, 3: towns).
  var RANK_ZOOM = { 1: 0, 2: 7, 3: 9 };

  function offlineBasemap(map, url) {
    // Decorative panes: the outlines and town names are not the page's content (the structures are).
    var areasPane = map.createPane("carte-fond-departements");
    areasPane.setAttribute("aria-hidden", "true");
    areasPane.style.zIndex = 250;
    var pane = map.createPane("carte-fond-lieux");
    pane.setAttribute("aria-hidden", "true");
    pane.style.zIndex = 350;
    var layer = L.layerGroup().addTo(map);
    var places = [];

    function draw() {
      layer.clearLayers();
      var zoom = map.getZoom();
      var bounds = map.getBounds().pad(0.2);
      places.forEach(function (p) {
        if (zoom < RANK_ZOOM[p[3]] || !bounds.contains([p[1], p[2]])) { return; }
        var label = document.createElement("span");
        label.textContent = p[0];
        L.marker([p[1], p[2]], {
          pane: "carte-fond-lieux",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "carte-lieu carte-lieu--" + p[3], html: label, iconSize: null })
        }).addTo(layer);
      });
    }

    if (!url || !window.fetch) { return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { places: [] }; })
      .then(function (data) {
        (data.departements || []).forEach(function (area) {
          L.polygon(area[1].map(function (ring) { return [ring]; }), { // one polygon per ring, no holes
            pane: "carte-fond-departements",
            interactive: false,
            className: "carte-departement",
            color: "#6b7280",
            weight: 1,
            fillColor: "#f7f5ef",
            fillOpacity: 1
          }).addTo(map);
        });
        places = data.places || [];
        draw();
        map.on("moveend", draw);
      })
      .catch(function () { /* the markers alone still make a map */ });
  }

  function popupContent(place) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    title.className = "carte-bulle__nom";
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.nom;
    title.appendChild(link);
    box.appendChild(title);
    if (place.adresse) {
      var address = document.createElement("p");
      address.textContent = place.adresse;
      box.appendChild(address);
    }
    if (place.approximatif) {
      var note = document.createElement("p");
      note.className = "carte-bulle__note";
      note.textContent = "Position approximative : centre de la commune.";
      box.appendChild(note);
    }
    return box;
  }

  function init() {
    var block = document.querySelector("[data-carte]");
    var container = document.getElementById("carte");
    var places = readJson("carte-lieux");
    var config = readJson("carte-config") || {};
    if (!block || !container || !window.L || !places || !places.length) { return; }
    block.hidden = false;

    // Less motion when the person asked for it (no zoom, fade or marker animations).
    var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(container, {
      zoomAnimation: !calm,
      fadeAnimation: !calm,
      markerZoomAnimation: !calm,
      zoomControl: false,
      attributionControl: false,
      maxZoom: config.zoom_max || 13,
      minZoom: 3
    });
    L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    var attribution = L.control.attribution({ prefix: "Leaflet" }).addTo(map);
    if (config.attribution) { attribution.addAttribution(config.attribution); }

    if (config.tuiles) {
      L.tileLayer(config.tuiles, { maxZoom: config.zoom_max || 18, attribution: "" }).addTo(map);
    } else {
      container.classList.add("carte__fond--hors-ligne");
      offlineBasemap(map, config.fond);
    }

    // Escape closes an open bubble from inside it too (Leaflet only listens while the map itself has focus).
    container.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && event.target.closest && event.target.closest(".leaflet-popup")) {
        map.closePopup();
      }
    });

    var icons = config.icone || {};
    var icon = icons["marker-icon"] ? L.icon({
      iconUrl: icons["marker-icon"],
      iconRetinaUrl: icons["marker-icon-2x"],
      shadowUrl: icons["marker-shadow"],
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    }) : new L.Icon.Default();

    var bounds = [];
    places.forEach(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        icon: icon,
        keyboard: true,
        title: place.nom,
        alt: place.nom + (place.adresse ? ", " + place.adresse : ""),
        riseOnHover: true
      }).addTo(map);
      marker.bindPopup(popupContent(place), { closeButton: true, autoPanPadding: [24, 24] });
      marker.on("popupopen", function (event) {
        var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (close) { close.setAttribute("aria-label", "Fermer la bulle"); close.title = "Fermer"; }
        var link = event.popup.getElement().querySelector("a[href]:not(.leaflet-popup-close-button)");
        if (link) { link.focus({ preventScroll: true }); }
      });
      marker.on("popupclose", function () {
        var icon = marker.getElement();
        if (icon && container.contains(document.activeElement)) { icon.focus({ preventScroll: true }); }
      });
      bounds.push([place.lat, place.lon]);
    });
    // Closer with real tiles (streets to see); offline, close enough to see the neighbouring towns.
    var closest = Math.min(config.tuiles ? 15 : 11, config.zoom_max || 13);
    if (bounds.length === 1) {
      map.setView(bounds[0], closest);
    } else {
      map.fitBounds(bounds, { padding: [32, 32], maxZoom: closest });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
